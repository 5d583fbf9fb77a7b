#include "FloatEnvironment.h"

#if defined(__x86_64__)
#include <xmmintrin.h>

unsigned long long tprog_fp_control(void) { return _mm_getcsr(); }
void tprog_fp_set_control(unsigned long long word) { _mm_setcsr((unsigned int)word); }
unsigned long long tprog_fp_flush_bits(void) { return 0x8040; /* FTZ (bit 15) | DAZ (bit 6) */ }

#elif defined(__aarch64__)

unsigned long long tprog_fp_control(void) {
    unsigned long long word;
    __asm__ volatile("mrs %0, fpcr" : "=r"(word));
    return word;
}
void tprog_fp_set_control(unsigned long long word) { __asm__ volatile("msr fpcr, %0" : : "r"(word)); }
unsigned long long tprog_fp_flush_bits(void) { return 1ull << 24; /* FZ */ }

#else

unsigned long long tprog_fp_control(void) { return 0; }
void tprog_fp_set_control(unsigned long long word) { (void)word; }
unsigned long long tprog_fp_flush_bits(void) { return 0; }

#endif
