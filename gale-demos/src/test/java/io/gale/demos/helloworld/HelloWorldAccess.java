package io.gale.demos.helloworld;

import io.gale.demos.DemoOptions;
import io.gale.http.HttpServer;
import java.io.IOException;

/** Opens {@link HelloWorld#serve} to tests in other packages. */
public final class HelloWorldAccess {
    private HelloWorldAccess() {
    }

    public static HttpServer serve(DemoOptions demo, String[] args) throws IOException {
        return HelloWorld.serve(demo, args);
    }
}
