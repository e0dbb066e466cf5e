package io.gale.guide.structure;

import io.gale.web.RequestHandler;

/** The methods a handler overrides around its HTTP method, in the order Gale calls them. */
// tag::hooks[]
public class Hooks extends RequestHandler {
    @Override
    protected void setDefaultHeaders() {           // before anything else, and again after clear()
        setHeader("X-Frame-Options", "DENY");
    }

    @Override
    protected void prepare() {                     // before get()/post()...; may finish the request
        if (getArgument("key", "").isEmpty()) {
            setStatus(401);
            finish("a key is needed");
        }
    }

    public void get() {
        write("served");
    }

    @Override
    protected void writeError(int statusCode, Throwable error) {   // the error page
        write("sorry: " + statusCode);
    }

    @Override
    protected void onFinish() {                    // after the response: metrics, clean-up
        System.out.println(request().method() + " " + request().uri() + " -> " + getStatus());
    }
}
// end::hooks[]
