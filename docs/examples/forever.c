/* Recursion that never ends: each call takes a frame until the stack meets its guard gap. */
int down(int n) {
    return down(n + 1);
}

int main(void) {
    return down(0);
}
