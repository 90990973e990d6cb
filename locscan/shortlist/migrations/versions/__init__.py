"""The shortlist schema revisions, oldest first."""
