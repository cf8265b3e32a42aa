package io.loomas.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/** One invocation of a {@link TransportTest} method per transport and codec, named for them. */
final class TransportTestProvider implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), TransportTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        TransportTest settings = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), TransportTest.class).orElseThrow();
        if (settings.transports().length == 0 || settings.codecs().length == 0) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration error: @TransportTest on method [%s] lists no %s (expected: at least one)",
                    context.getRequiredTestMethod(), settings.transports().length == 0 ? "transports" : "codecs"));
        }
        String method = context.getRequiredTestMethod().getName();
        List<TestTemplateInvocationContext> invocations = new ArrayList<>();
        for (TransportKind transport : settings.transports()) {
            for (CodecKind codec : settings.codecs()) {
                TransportCase c = new TransportCase(transport, codec);
                String name = settings.name().replace("{method}", method).replace("{transport}", transport.label())
                        .replace("{codec}", codec.label());
                invocations.add(new TestTemplateInvocationContext() {
                    @Override
                    public String getDisplayName(int invocationIndex) {
                        return name;
                    }

                    @Override
                    public List<Extension> getAdditionalExtensions() {
                        return List.of(c);
                    }
                });
            }
        }
        return invocations.stream();
    }
}
