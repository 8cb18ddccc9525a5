/* A buffer overflow: 24 bytes written into an 8-byte array run over the saved frame pointer
   and the return address, and ret jumps to 0x41414141. */
void fill(char *p, int n) {
    while (n > 0) {
        *p = 'A';
        p++;
        n--;
    }
}

int greet(void) {
    char name[8];
    fill(name, 24);
    return name[0];
}

int main(void) {
    return greet();
}
