// Integration and end-to-end tests talk to real servers; give them room.
jest.setTimeout(120_000);
