<?php
// Writes include/xianshen_ffi.h: the C header as PHP's FFI parser takes it
// (no preprocessor lines), with FFI_SCOPE and FFI_LIB for FFI::load() under
// opcache.preload. test.sh regenerates it and fails on drift.
//
//   php tools/ffi_header.php > include/xianshen_ffi.h

declare(strict_types=1);

require __DIR__ . '/../examples/php/Xianshen.php';

$header = (string) file_get_contents(__DIR__ . '/../include/xianshen.h');
// PHP reads FFI_SCOPE and FFI_LIB only from the first lines of the file.
echo "#define FFI_SCOPE \"xianshen\"\n";
echo "#define FFI_LIB \"libxianshen.so\"\n";
echo "/* xianshen (先审) C API for PHP FFI: load this file with ffi.preload (php-fpm)\n";
echo " * or FFI::load(). GENERATED from xianshen.h by tools/ffi_header.php; do not\n";
echo " * edit. FFI_LIB is resolved by the dynamic loader: install libxianshen.so on\n";
echo " * its path, or write the library's absolute path there when installing. */\n";
echo Xianshen::declarations($header), "\n";
