export * from './lib/icalendar';
