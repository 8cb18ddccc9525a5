package io.github.alloclab.freespace;

import java.math.BigInteger;

/**
 * Python's {@code random} module, exactly: the same seed gives the same {@link #random()} values, bit for bit,
 * so that {@code alloclab freelist} draws the same operations as OSTEP's {@code malloc.py}.
 *
 * <h2>Algorithm</h2>
 * The generator is Matsumoto and Nishimura's MT19937, a twisted generalised feedback shift register over
 * {@code N = 624} words of 32 bits.
 * <ol>
 *   <li><b>seed(n)</b>: Python takes {@code |n|}, cuts it into 32-bit words, least significant first (one word
 *       {@code 0} for {@code n = 0}), and calls the reference {@code init_by_array(key)}: fill the state with
 *       {@code init_genrand(19650218)}, {@code mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >>> 30)) + i}; mix the
 *       key in over {@code max(N, key length)} steps with the multiplier 1664525 (adding {@code key[j] + j}),
 *       then {@code N - 1} more steps with 1566083941 (subtracting {@code i}); set {@code mt[0] = 0x80000000}.</li>
 *   <li><b>next 32 bits</b>: when the {@code N} words are used up, twist them all: for each {@code i},
 *       {@code y} = the top bit of {@code mt[i]} and the low 31 bits of {@code mt[i+1]};
 *       {@code mt[i] = mt[i+397] ^ (y >>> 1) ^ (y odd ? 0x9908b0df : 0)}. Then temper the next word:
 *       {@code y ^= y >>> 11; y ^= (y << 7) & 0x9d2c5680; y ^= (y << 15) & 0xefc60000; y ^= y >>> 18}.</li>
 *   <li><b>random()</b>: {@code a} = 27 bits ({@code next >>> 5}), {@code b} = 26 bits ({@code next >>> 6});
 *       return {@code (a * 2^26 + b) / 2^53}, a double in [0, 1) with 53 random bits.</li>
 * </ol>
 * Java's {@code int} arithmetic wraps modulo 2<sup>32</sup> as the C reference's {@code uint32_t} does; only
 * shifts must be unsigned ({@code >>>}).
 *
 * <h2>References</h2>
 * M. Matsumoto and T. Nishimura, "Mersenne Twister: A 623-dimensionally equidistributed uniform pseudo-random
 * number generator", ACM TOMACS 8(1), 1998, and their {@code mt19937ar.c} (2002). CPython's
 * {@code Modules/_randommodule.c} ({@code random_seed}, {@code random_random}).
 *
 * Not thread-safe.
 */
public final class PythonRandom {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908_b0df;
    private static final int UPPER_MASK = 0x8000_0000;
    private static final int LOWER_MASK = 0x7fff_ffff;

    private final int[] mt = new int[N];
    private int index = N;

    /** A generator seeded as {@code random.seed(seed)} seeds Python's. */
    public PythonRandom(BigInteger seed) {
        seed(seed);
    }

    public PythonRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    /** Seeds as Python's {@code random.seed(n)} does for an {@code int} {@code n}. */
    public void seed(BigInteger seed) {
        BigInteger n = seed.abs();
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = n.shiftRight(32 * i).intValue();
        }
        initByArray(key);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = UPPER_MASK;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        index = 0;
    }

    /** {@return the next 32 random bits, as an unsigned value: Python's {@code getrandbits(32)}} */
    public long nextUnsignedInt() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >>> 18;
        return Integer.toUnsignedLong(y);
    }

    /** {@return the next double in [0, 1): Python's {@code random.random()}} */
    public double random() {
        long a = nextUnsignedInt() >>> 5;
        long b = nextUnsignedInt() >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }
}
