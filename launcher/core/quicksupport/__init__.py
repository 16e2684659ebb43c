"""Start, watch and end TeamViewer QuickSupport (no Qt here).

launch.prepare -> session.QuickSupportSession(start/poll/read_password/stop), built on tvlog (the log),
process (the tree, death signal, Job Object, watchdog) and credentials (+ atspi/uia/ax backends).
"""
