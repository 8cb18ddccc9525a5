/* Recursion that ends: one frame per call, all alive at the deepest point. */
int calls;

long fact(long n) {
    calls++;
    if (n <= 1)
        return 1;
    return n * fact(n - 1);
}

int main(void) {
    long f = fact(5);
    return f - calls;   /* 120 - 5 = 115 */
}
