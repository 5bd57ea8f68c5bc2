<?php
// opcache.preload for php-fpm: compiles the wrapper class once, in the
// master. The library itself is loaded by ffi.preload (below), once, under
// its FFI_SCOPE "xianshen"; requests use Xianshen::fromScope() with
// ffi.enable=preload (the safe default: no request can FFI::cdef anything).
//
// php.ini (or the pool's php_admin_value):
//   ffi.enable = preload
//   ffi.preload = /usr/local/include/xianshen_ffi.h   ; FFI_LIB: the library's path
//   opcache.enable = 1
//   opcache.preload = /path/to/preload.php
//   opcache.preload_user = www-data                   ; when the master runs as root

declare(strict_types=1);

opcache_compile_file(__DIR__ . '/../Xianshen.php');
