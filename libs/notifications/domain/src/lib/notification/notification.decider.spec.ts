import { fold } from '@leadership/kernel';
import { DeciderSpecification } from '@leadership/kernel/testing';
import type { NotificationCommand } from './notification.commands';
import { notificationDecider } from './notification.decider';
import {
  NotificationAlreadyExistsError,
  NotificationCloseReasonRequiredError,
  NotificationNotFoundError,
  NotificationTitleRequiredError,
} from './notification.errors';
import type { NotificationEvent } from './notification.events';

const ID = 'notification-1';
const ACTOR = 'person-ana';
const REGISTERED_AT = '2026-03-02T09:00:00.000Z';
const CLOSED_AT = '2026-03-03T17:30:00.000Z';

const register = (title = 'First notification'): NotificationCommand => ({ type: 'RegisterNotification', data: { notificationId: ID, actorId: ACTOR, at: REGISTERED_AT, title } });
const close = (reason = 'done'): NotificationCommand => ({ type: 'CloseNotification', data: { notificationId: ID, actorId: ACTOR, at: CLOSED_AT, reason } });
const registered = (title = 'First notification'): NotificationEvent => ({ type: 'NotificationRegistered', data: { notificationId: ID, actorId: ACTOR, at: REGISTERED_AT, title } });
const closed = (reason = 'done'): NotificationEvent => ({ type: 'NotificationClosed', data: { notificationId: ID, actorId: ACTOR, at: CLOSED_AT, reason } });

const given = DeciderSpecification.for(notificationDecider);

describe('notification decider', () => {
  describe('RegisterNotification', () => {
    it('registers a new notification under its trimmed title', () => {
      given([]).when(register('  First notification ')).then([registered()]);
    });

    it('refuses a blank title', () => {
      given([]).when(register('   ')).thenThrows(NotificationTitleRequiredError, 'notification.title-required');
    });

    it('changes nothing when retried with the same title', () => {
      given([registered()]).when(register()).thenNothingHappens();
    });

    it('refuses the id for another title', () => {
      given([registered()])
        .when(register('Another title'))
        .thenThrows(NotificationAlreadyExistsError, 'notification.already-exists', (error) => error.details['notificationId'] === ID);
    });
  });

  describe('CloseNotification', () => {
    it('closes an open notification with the trimmed reason', () => {
      given([registered()]).when(close(' done ')).then([closed()]);
    });

    it('refuses a notification that was never registered', () => {
      given([]).when(close()).thenThrows(NotificationNotFoundError, 'notification.not-found');
    });

    it('refuses a blank reason', () => {
      given([registered()]).when(close(' ')).thenThrows(NotificationCloseReasonRequiredError, 'notification.close-reason-required');
    });

    it('changes nothing on a closed notification', () => {
      given([registered(), closed()]).when(close('again')).thenNothingHappens();
    });
  });

  it('folds its events into the state', () => {
    expect(fold(notificationDecider, [])).toEqual({ status: 'none' });
    expect(fold(notificationDecider, [registered(), closed()])).toEqual({
      status: 'closed',
      notificationId: ID,
      title: 'First notification',
      registeredAt: REGISTERED_AT,
      registeredBy: ACTOR,
      closedAt: CLOSED_AT,
      closeReason: 'done',
    });
  });
});
