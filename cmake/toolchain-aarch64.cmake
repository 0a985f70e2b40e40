# Cross-compiling for AWS Lambda arm64 (Graviton) with Debian's aarch64 toolchain
# (g++-aarch64-linux-gnu) and arm64 multiarch libraries (libssl-dev:arm64,
# zlib1g-dev:arm64). Used by scripts/setup for libcurl and simdjson and by
# scripts/build --arch arm64 for the bootstraps.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu and their
# headers under /usr/include (shared) and /usr/include/aarch64-linux-gnu. Never
# pick up an x86_64 program's library, but do find host programs (perl, etc.).
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu)
set(OPENSSL_ROOT_DIR /usr)
set(OPENSSL_CRYPTO_LIBRARY /usr/lib/aarch64-linux-gnu/libcrypto.a)
set(OPENSSL_SSL_LIBRARY /usr/lib/aarch64-linux-gnu/libssl.a)
set(OPENSSL_INCLUDE_DIR /usr/include)
set(ZLIB_LIBRARY /usr/lib/aarch64-linux-gnu/libz.a)
set(ZLIB_INCLUDE_DIR /usr/include)

# glibc: link the arm64 multiarch libc6-dev (libc.a, crt*.o), which Debian keeps at the
# security release (2.36-9+deb12uN), not libc6-dev-arm64-cross, which the cross toolchain
# brings and Debian has not rebuilt since 2.36-8. -B makes the driver take the start files
# and libc.a from there; the headers stay the toolchain's (same upstream 2.36 ABI).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-B/usr/lib/aarch64-linux-gnu/")

# Tests that run target programs do so under qemu (binfmt_misc is not relied on).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
