// The Network module.
