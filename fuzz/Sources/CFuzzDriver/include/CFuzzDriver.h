// libFuzzer's entry for programs that have their own main (LLVM 11+). SwiftPM gives every
// executable a main of its own (it links `main` to `<Module>_main`), so the fuzz targets call
// this instead of relying on libFuzzer's main.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
