package io.gale.template;

import java.util.List;

/**
 * No template of that name: the message lists every place searched (directories as absolute
 * paths, class path resources as {@code classpath:...}), to tell a typo from a wrong
 * {@code templatePath}.
 */
public class TemplateNotFoundException extends TemplateException {
    private static final long serialVersionUID = 1L;
    /**
     * The places searched, in order.
     */
    private final List<String> searched;

    /**
     * Creates a {@code TemplateNotFoundException}.
     *
     * @param name the template asked for
     * @param searched the places searched, in order
     */
    public TemplateNotFoundException(String name, List<String> searched) {
        super(null, 0, "template not found: " + name + " (searched " + String.join(", ", searched) + ")", null);
        this.searched = List.copyOf(searched);
    }

    /**
     * The places searched, in order.
     *
     * @return the places searched, in order
     */
    public List<String> searched() {
        return searched;
    }
}
