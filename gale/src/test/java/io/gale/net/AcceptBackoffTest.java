package io.gale.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AcceptBackoffTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void doublesFromMinToMaxAndLogsOncePerBurst() {
        AcceptBackoff b = new AcceptBackoff(10 * MS, 1000 * MS);
        List<Long> delays = new ArrayList<>();
        List<Boolean> logs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            delays.add(b.onFailure() / MS);
            logs.add(b.shouldLog());
        }
        assertThat(delays).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 1000L);
        assertThat(logs).containsExactly(true, false, false, false, false, false, false, false, false, false);
        assertThat(b.onSuccess()).isEqualTo(10);
        assertThat(b.onSuccess()).isZero();
        assertThat(b.onFailure() / MS).isEqualTo(10L);
        assertThat(b.shouldLog()).isTrue();
    }

    @Test
    void rejectsInvalidBounds() {
        assertThatThrownBy(() -> new AcceptBackoff(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AcceptBackoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
