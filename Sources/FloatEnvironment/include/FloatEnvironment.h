#ifndef TPROG_FLOAT_ENVIRONMENT_H
#define TPROG_FLOAT_ENVIRONMENT_H

/// The calling thread's floating-point control word (MXCSR on x86-64, FPCR on arm64; 0 elsewhere).
unsigned long long tprog_fp_control(void);

/// Sets the calling thread's floating-point control word (no effect where it is not known).
void tprog_fp_set_control(unsigned long long word);

/// The control-word bits that make the thread treat subnormal inputs and results as zero
/// (MXCSR's flush-to-zero and denormals-are-zero, FPCR's FZ); 0 where there are none.
unsigned long long tprog_fp_flush_bits(void);

#endif
