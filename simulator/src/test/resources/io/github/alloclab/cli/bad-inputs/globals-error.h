int a;
int b[3] = {1, 2, 3, 4};
