/* Eight arguments: System V passes six in registers and pushes the last two. */
long sum8(long a, long b, long c, long d, long e, long f, long g, long h) {
    return a + b + c + d + e + f + g + h;
}

int main(void) {
    return sum8(1, 2, 3, 4, 5, 6, 7, 8);
}
