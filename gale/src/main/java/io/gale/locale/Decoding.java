package io.gale.locale;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Strict decoding of translation files: malformed bytes are an error, never U+FFFD. */
final class Decoding {
    private Decoding() {
    }

    static String strict(byte[] data, int offset, int length, Charset charset) throws CharacterCodingException {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(data, offset, length))
                .toString();
    }
}
