"""The mailbox, the poll cycle, scheduling and the command line: wires the other packages."""
