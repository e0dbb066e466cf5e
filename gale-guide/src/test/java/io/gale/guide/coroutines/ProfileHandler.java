package io.gale.guide.coroutines;

import static io.gale.concurrent.Coroutines.await;

import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.web.RequestHandler;
import io.gale.web.RunOnVirtualThread;

// tag::handler[]
@RunOnVirtualThread                                   // every method of this handler: a coroutine
public final class ProfileHandler extends RequestHandler {
    record Profile(String name, int posts) {}          // written as JSON, fields in this order

    public void get(String name) {
        String base = request().protocol() + "://" + request().host();
        HttpResponse posts = await(AsyncHttpClient.current().fetch(base + "/posts/" + name));
        int count = Integer.parseInt(posts.text());     // blocking calls (JDBC, files) are fine here too
        write(new Profile(name, count));
    }
}
// end::handler[]
