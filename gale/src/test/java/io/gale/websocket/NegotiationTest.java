package io.gale.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Opening-handshake validation and permessage-deflate negotiation, including malformed input. */
@Timeout(60)
class NegotiationTest {
    private static final CompressionOptions DEFAULTS = CompressionOptions.defaults();

    private static HttpHeaders valid() {
        return new HttpHeaders().set("Host", "example.com").set("Upgrade", "websocket")
                .set("Connection", "keep-alive, Upgrade").set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .set("Sec-WebSocket-Version", "13");
    }

    @Test
    void acceptValueIsTheRfcExample() {
        assertThat(Handshake.acceptValue("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void validUpgradePasses() {
        assertThat(Handshake.validate("GET", valid())).isNull();
        assertThat(Handshake.validate("GET", valid().set("Upgrade", "WebSocket"))).isNull();
    }

    @Test
    void badUpgradesAreRejectedWithTheirReason() {
        assertThat(Handshake.validate("POST", valid()).status()).isEqualTo(400);
        assertThat(Handshake.validate("GET", valid().set("Upgrade", "h2c")).reason()).contains("Upgrade");
        HttpHeaders noUpgrade = valid();
        noUpgrade.remove("Upgrade");
        assertThat(Handshake.validate("GET", noUpgrade).status()).isEqualTo(400);
        assertThat(Handshake.validate("GET", valid().set("Connection", "keep-alive")).reason()).contains("Connection");
        HttpHeaders noVersion = valid();
        noVersion.remove("Sec-WebSocket-Version");
        assertThat(Handshake.validate("GET", noVersion).status()).isEqualTo(400);
        assertThat(Handshake.validate("GET", valid().set("Sec-WebSocket-Version", "8")).status()).isEqualTo(426);
        assertThat(Handshake.validate("GET", valid().add("Sec-WebSocket-Version", "13")).status()).isEqualTo(426);
        for (String key : new String[] {"", "short", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZQ==x",
                "!!!!!!!!!!!!!!!!!!!!!!==", "dGhlIHNhbXBsZSBub25jZSE=" /* 17 bytes */}) {
            assertThat(Handshake.validate("GET", valid().set("Sec-WebSocket-Key", key)))
                    .as("key '%s'", key).isNotNull().extracting(Handshake.Rejection::status).isEqualTo(400);
        }
        assertThat(Handshake.validate("GET", valid().set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")))
                .as("decodes to 20 bytes").isNotNull();
        HttpHeaders twoKeys = valid().add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(Handshake.validate("GET", twoKeys).status()).isEqualTo(400);
    }

    @Test
    void subprotocolListsAreSplitAndTrimmed() {
        HttpHeaders h = new HttpHeaders().add("Sec-WebSocket-Protocol", "chat, superchat").add("Sec-WebSocket-Protocol",
                " v2 ,,");
        assertThat(Handshake.subprotocols(h)).containsExactly("chat", "superchat", "v2");
    }

    @Test
    void serverAcceptsThePlainOfferAndEchoesRequiredParameters() {
        DeflateParams p = PerMessageDeflate.serverAccept(List.of("permessage-deflate"), DEFAULTS);
        assertThat(p.responseHeader()).isEqualTo("permessage-deflate");
        assertThat(p.outgoingNoContextTakeover()).isFalse();

        p = PerMessageDeflate.serverAccept(List.of(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits"),
                DEFAULTS.toBuilder().clientMaxWindowBits(10).build());
        assertThat(p.responseHeader()).isEqualTo(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits=10");
        assertThat(p.outgoingNoContextTakeover()).isTrue();
        assertThat(p.incomingNoContextTakeover()).isTrue();

        // server_max_window_bits=15 restricts nothing: accepted and confirmed.
        p = PerMessageDeflate.serverAccept(List.of("permessage-deflate; server_max_window_bits=15"), DEFAULTS);
        assertThat(p.responseHeader()).isEqualTo("permessage-deflate; server_max_window_bits=15");
        // Our own option applies without being offered.
        p = PerMessageDeflate.serverAccept(List.of("permessage-deflate"), DEFAULTS.toBuilder().serverNoContextTakeover(true).build());
        assertThat(p.responseHeader()).isEqualTo("permessage-deflate; server_no_context_takeover");
    }

    @Test
    void serverAcceptsEveryWindowFrom8To15AndKeepsItsCompressorToIt() {
        for (int bits = 8; bits <= 15; bits++) {
            DeflateParams p = PerMessageDeflate.serverAccept(
                    List.of("permessage-deflate; server_max_window_bits=" + bits + "; client_max_window_bits"), DEFAULTS);
            assertThat(p).as("bits %d", bits).isNotNull();
            assertThat(p.responseHeader()).isEqualTo("permessage-deflate; server_max_window_bits=" + bits);
            assertThat(p.outgoingWindowBits()).isEqualTo(bits);
        }
        assertThat(PerMessageDeflate.serverAccept(List.of("permessage-deflate"), DEFAULTS).outgoingWindowBits())
                .isEqualTo(15);
    }

    @Test
    void serverDeclinesMalformedOffersAndFallsBackToTheNextOffer() {
        DeflateParams p = PerMessageDeflate.serverAccept(List.of(
                "permessage-deflate; server_max_window_bits=7, permessage-deflate"), DEFAULTS);
        assertThat(p).isNotNull();
        assertThat(p.responseHeader()).isEqualTo("permessage-deflate");
        for (String bad : new String[] {"permessage-deflate; unknown=1", "permessage-deflate; server_max_window_bits",
                "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits=7",
                "permessage-deflate; server_max_window_bits=010", "permessage-deflate; client_max_window_bits=7",
                "permessage-deflate; client_max_window_bits=abc", "permessage-deflate; server_no_context_takeover=1",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "permessage-deflate;", "x-webkit-deflate-frame", ""}) {
            assertThat(PerMessageDeflate.serverAccept(List.of(bad), DEFAULTS)).as(bad).isNull();
        }
        assertThat(PerMessageDeflate.serverAccept(List.of("permessage-deflate"), null)).isNull();
        // Quoted values are tokens too (RFC 7692 7.1).
        assertThat(PerMessageDeflate.serverAccept(List.of("permessage-deflate; client_max_window_bits=\"10\""),
                DEFAULTS)).isNotNull();
    }

    @Test
    void clientOfferAndAnswerChecks() {
        assertThat(PerMessageDeflate.clientOffer(DEFAULTS)).isEqualTo("permessage-deflate; client_max_window_bits");
        assertThat(PerMessageDeflate.clientOffer(DEFAULTS.toBuilder().clientNoContextTakeover(true).serverMaxWindowBits(10).build()))
                .isEqualTo("permessage-deflate; client_no_context_takeover; server_max_window_bits=10; "
                        + "client_max_window_bits");
        assertThat(PerMessageDeflate.clientAccept(List.of(), DEFAULTS)).isNull();
        DeflateParams p = PerMessageDeflate.clientAccept(
                List.of("permessage-deflate; server_no_context_takeover; server_max_window_bits=12"), DEFAULTS);
        assertThat(p.incomingNoContextTakeover()).isTrue();
        assertThat(p.outgoingNoContextTakeover()).isFalse();
        assertThat(PerMessageDeflate.clientAccept(List.of("permessage-deflate; client_no_context_takeover"), DEFAULTS)
                .outgoingNoContextTakeover()).isTrue();
        // The server picks our window: any of 8-15 (we offered a bare client_max_window_bits).
        for (int bits = 8; bits <= 15; bits++) {
            assertThat(PerMessageDeflate.clientAccept(List.of("permessage-deflate; client_max_window_bits=" + bits),
                    DEFAULTS).outgoingWindowBits()).isEqualTo(bits);
        }
        assertThat(PerMessageDeflate.clientAccept(List.of("permessage-deflate"), DEFAULTS).outgoingWindowBits())
                .isEqualTo(15);
        for (String bad : new String[] {"permessage-deflate; client_max_window_bits=7", "x-foo",
                "permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=16",
                "permessage-deflate, permessage-deflate", "permessage-deflate; bogus",
                "permessage-deflate; server_max_window_bits=99"}) {
            assertThatThrownBy(() -> PerMessageDeflate.clientAccept(List.of(bad), DEFAULTS)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PerMessageDeflate.clientAccept(List.of("permessage-deflate"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PerMessageDeflate.clientAccept(List.of("permessage-deflate"),
                DEFAULTS.toBuilder().serverNoContextTakeover(true).build())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compressionOptionsValidateRanges() {
        assertThatThrownBy(() -> DEFAULTS.toBuilder().level(10).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.toBuilder().serverMaxWindowBits(7).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
