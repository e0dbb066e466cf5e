/**
 * Templates: Gale's engine-neutral {@link io.gale.template.TemplateEngine} with Pebble as the
 * default ({@link io.gale.template.PebbleTemplateEngine}), the per-render
 * {@link io.gale.template.TemplateNamespace}, Tornado's {@link io.gale.template.UIModule} and
 * {@link io.gale.template.UIMethod}, and template errors. Handlers render with
 * {@code RequestHandler.render} and {@code renderString}.
 */
package io.gale.template;
