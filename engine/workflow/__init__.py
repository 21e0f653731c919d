"""Workflows: moving submissions through their states, and the deadlines that run meanwhile."""
