int a, b, c;              // uninitialised: 12 bytes of .bss
double d = 3.14;          // initialised: .data
char ch = 'x';            // 8 + 1 = 9 bytes of .data
char flag = 1;            // a char, then a double: padding before the double
double ratio = 0.5;
static long table[100];   // 800 bytes of .bss, aligned to 32 as GCC aligns large arrays
const char banner[] = "alloclab";   // .rodata
char *name = "ada";       // the pointer in .data, the string in .rodata
