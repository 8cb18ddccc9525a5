/* The textbook example: what does main push to call foo(10, 20)? */
int foo(int a, int b) {
    int c = a + b;
    return c;
}

int main(void) {
    int x = foo(10, 20);
    return x;
}
