package io.gale.demos.auth;

import io.gale.web.Authenticated;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /me}: the session as JSON, for scripts ({@code curl -b ...}). {@link Authenticated}:
 * without a session, a browser is sent to the login ({@code loginUrl}) and comes back here.
 */
@Authenticated
final class MeHandler extends BaseHandler {
    MeHandler(Site site) {
        super(site);
    }

    public void get() {
        Session session = session();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("provider", session.provider());
        me.put("subject", session.subject());
        me.put("name", session.displayName());
        me.put("claims", session.claims());
        me.put("omitted", session.omitted());
        write(me);
    }
}
