package cn.xianshen;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The functions of libxianshen this client calls: the JSON surface of
 * {@code bindings/c/include/xianshen.h}, bound with JNA direct mapping
 * ({@link Lib} registers them once the library is found). Only pointers,
 * {@code int32_t} ({@code int}), {@code uint64_t} ({@code long}),
 * NUL-terminated UTF-8 and UTF-16 code units cross the boundary: a draft's
 * text goes in as the {@code char[]} of its UTF-16 (the library converts it),
 * other strings as NUL-terminated UTF-8 byte arrays, so no platform encoding
 * is involved.
 */
final class XianshenNative {
    /** The functions a library must export to be usable; checked before it is registered. */
    static final String[] REQUIRED = {
        "xs_screener_new_json", "xs_screen_json_utf16", "xs_screener_free", "xs_string_free", "xs_version",
    };

    private XianshenNative() {}

    static native int xs_screener_new_json(byte[] configJson, PointerByReference screener,
            PointerByReference errorJson);

    static native int xs_screen_json_utf16(Pointer screener, char[] text, long textLen, byte[] optionsJson,
            PointerByReference outJson);

    static native void xs_screener_free(Pointer screener);

    static native void xs_string_free(Pointer s);

    static native Pointer xs_version();
}
