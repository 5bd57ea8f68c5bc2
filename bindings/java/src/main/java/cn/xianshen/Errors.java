package cn.xianshen;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

/** Turns the library's error JSON into exceptions. */
final class Errors {
    /** Status names by code, as in {@code enum xs_status} of {@code xianshen.h}. */
    private static final String[] STATUS = {
        "XS_OK",
        "XS_ERR_NULL_ARGUMENT",
        "XS_ERR_INVALID_ARGUMENT",
        "XS_ERR_INVALID_UTF8",
        "XS_ERR_POLICY_SYNTAX",
        "XS_ERR_POLICY_INVALID",
        "XS_ERR_IO",
        "XS_ERR_OUT_OF_RANGE",
        "XS_ERR_OUT_OF_MEMORY",
        "XS_ERR_PANIC",
    };

    private Errors() {}

    static String statusName(int code) {
        return code >= 0 && code < STATUS.length ? STATUS[code] : "XS_ERR_" + code;
    }

    /**
     * The exception for a failed call.
     *
     * @param code the status the call returned (not 0)
     * @param json the error JSON it handed out, or {@code null} when it could not
     */
    static XianshenException from(int code, String json) {
        String status = statusName(code);
        if (json == null) {
            return new XianshenException(status, code, status + " (the library gave no details)");
        }
        JsonObject error;
        try {
            error = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("error");
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            return new XianshenException(status, code, status + ": " + json);
        }
        if (error == null) {
            return new XianshenException(status, code, status + ": " + json);
        }
        String message = string(error, "message");
        if (message == null) {
            message = status;
        }
        switch (status) {
            case "XS_ERR_POLICY_SYNTAX":
            case "XS_ERR_POLICY_INVALID":
            case "XS_ERR_IO":
                PolicyException.Type type = switch (status) {
                    case "XS_ERR_IO" -> PolicyException.Type.IO;
                    case "XS_ERR_POLICY_SYNTAX" -> PolicyException.Type.SYNTAX;
                    default -> PolicyException.Type.INVALID;
                };
                return new PolicyException(status, code, message, type,
                        string(error, "path"), integer(error, "line"), integer(error, "column"));
            case "XS_ERR_NULL_ARGUMENT":
            case "XS_ERR_INVALID_ARGUMENT":
            case "XS_ERR_INVALID_UTF8":
                return new InvalidInputException(status, code, message);
            default:
                return new XianshenException(status, code, message);
        }
    }

    /** An error for a report that does not have the shape of {@code xianshen.report/1}. */
    static XianshenException unexpected(String what, String value) {
        return new XianshenException("XS_ERR_PANIC", 9,
                "unexpected " + what + " in the report JSON: " + value + " (is libxianshen newer than this client?)");
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static int integer(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? 0 : e.getAsInt();
    }
}
