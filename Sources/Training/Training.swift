// The Training module.
