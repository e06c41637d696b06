"""Use cases: orchestration over store, planner and friends; no SQL, no HTTP."""
