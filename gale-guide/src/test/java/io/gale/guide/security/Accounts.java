package io.gale.guide.security;

import static io.gale.web.Route.url;

import io.gale.escape.Escape;
import io.gale.http.SetCookie;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.Authenticated;
import io.gale.web.HttpError;
import io.gale.web.RequestHandler;
import java.util.List;
import java.util.Map;

/** The security chapter: cookies, signed cookies, a login, @Authenticated, XSRF. */
final class Accounts {
    private Accounts() {
    }

    // tag::cookies[]
    public static final class VisitsHandler extends RequestHandler {
        public void get() {
            int visits = Integer.parseInt(getCookie("visits", "0")) + 1;   // the client can change it
            setCookie("visits", Integer.toString(visits));
            String signed = getSignedCookie("seen");                       // null if absent or forged
            if (signed == null) {
                setSignedCookie("seen", "since visit " + visits);          // HMAC-signed, timestamped
            }
            write("visit " + visits + ", " + (signed == null ? "first signed visit" : signed));
        }
    }
    // end::cookies[]

    // tag::base[]
    /** Every page knows its user: the name in the signed "user" cookie. */
    abstract static class BaseHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {                 // Tornado's get_current_user
            return getSignedCookie("user");
        }
    }
    // end::base[]

    // tag::login[]
    static final Map<String, String> PASSWORDS = Map.of("ann", "open sesame");   // use a real store

    public static final class LoginHandler extends BaseHandler {
        public void get() {
            write("<form method=\"post\" action=\"/login?next=" + Escape.urlEscape(safeNextUrl("/")) + "\">"
                    + xsrfFormHtml()                        // the hidden _xsrf field every POST needs
                    + "<input name=\"name\"> <input name=\"password\" type=\"password\"> <button>Log in</button>"
                    + "</form>");
        }

        public void post() {
            String name = getArgument("name");
            if (!getArgument("password").equals(PASSWORDS.get(name))) {
                throw new HttpError(403, "wrong password for %s", name);
            }
            setSignedCookie("user", name, 30, c -> c.httpOnly(true).sameSite(SetCookie.SameSite.LAX));
            redirect(safeNextUrl("/"));                     // a local path only: never an open redirect
        }
    }

    public static final class LogoutHandler extends BaseHandler {
        public void post() {
            clearCookie("user");
            redirect("/");
        }
    }

    public static final class HomeHandler extends BaseHandler {
        @Authenticated                                      // nobody: GET goes to /login?next=%2F
        public void get() {
            write("Hello, " + Escape.xhtmlEscape(currentUser().toString()));
        }
    }
    // end::login[]

    // tag::app[]
    static Application makeApp(String cookieSecret) {
        return new Application(List.of(
                url("/", HomeHandler.class),
                url("/login", LoginHandler.class),
                url("/logout", LogoutHandler.class),
                url("/visits", VisitsHandler.class)),
            ApplicationSettings.builder()
                .cookieSecret(cookieSecret)                 // 32+ random bytes: openssl rand -base64 48
                .loginUrl("/login")                         // where @Authenticated sends a GET
                .xsrfCookies(true)                          // POST, PUT, PATCH, DELETE need the token
                .build());
    }
    // end::app[]
}
