package io.gale.http;

import io.gale.internal.http.HttpChars;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the header block of one multipart part: {@code name ":" OWS value OWS CRLF} lines.
 *
 * <p>Stateless and thread-safe. Strict where laxness has bitten servers: lines must end in
 * CRLF (a bare CR or LF is rejected, as Tornado 6.5.5 does), names must be tokens, values must
 * not hold control characters, and obsolete line folding is refused. Values are UTF-8, which
 * browsers use for file names; bytes that are not valid UTF-8 are read as ISO-8859-1 so that
 * an old client's Latin-1 file name still arrives intact.
 */
final class PartHeaderBlock {
    private PartHeaderBlock() {}

    /** Parses {@code block[0, len)}, which is empty or a series of CRLF-terminated lines. */
    static PartHeaders parse(byte[] block, int len) throws HttpFormException {
        if (len == 0) return PartHeaders.EMPTY;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int start = 0;
        while (start < len) {
            int eol = start;
            while (block[eol] != '\r' && block[eol] != '\n') eol++; // the block ends in CRLF
            if (block[eol] != '\r' || block[eol + 1] != '\n') {
                throw new HttpFormException("bare CR or LF in multipart part headers");
            }
            parseLine(block, start, eol, headers);
            start = eol + 2;
        }
        return new PartHeaders(headers);
    }

    private static void parseLine(byte[] b, int from, int to, Map<String, List<String>> into) throws HttpFormException {
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
            if (!TokenChars.isTchar(b[i])) {
                throw new HttpFormException(i == from && (b[i] == ' ' || b[i] == '\t')
                        ? "folded multipart part header" : "invalid multipart part header name");
            }
        }
        if (colon <= from) throw new HttpFormException("invalid multipart part header line");
        int vs = colon + 1;
        int ve = to;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) vs++;
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
        for (int i = vs; i < ve; i++) {
            if (!HttpChars.isFieldValueChar(b[i])) {
                throw new HttpFormException("control character in multipart part header");
            }
        }
        String name = new String(b, from, colon - from, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        into.computeIfAbsent(name, k -> new ArrayList<>(1)).add(decodeValue(b, vs, ve));
    }

    private static String decodeValue(byte[] b, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
