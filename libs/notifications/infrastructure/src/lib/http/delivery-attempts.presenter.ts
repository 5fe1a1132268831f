import type { DeliveryAttempts } from '@leadership/notifications-contracts';
import type { DeliveryDocument } from '../read-model/delivery.read-model';

/**
 * A delivery's attempts as the compliance log (`GET /deliveries`) and a webhook's log answer them
 * (`deliveryAttemptsSchema`): why it is retrying or was dead-lettered, and when it is tried next.
 * The next attempt is the document's `notBefore` while an e-mail or webhook waits to be sent — its
 * planned time (quiet hours), or the back-off after a failure — and there is none otherwise.
 */
export function deliveryAttemptsOf(d: DeliveryDocument): DeliveryAttempts {
  const waiting = d.channel !== 'in-app' && (d.status === 'scheduled' || d.status === 'retrying');
  return { attempts: d.attempts, lastAttemptAt: d.lastAttemptAt, lastResponseCode: d.lastResponseCode, lastError: d.lastError, nextAttemptAt: waiting ? d.notBefore : null };
}
