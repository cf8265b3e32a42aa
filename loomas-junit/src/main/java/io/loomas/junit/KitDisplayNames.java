package io.loomas.junit;

import java.lang.reflect.Method;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.TestTemplate;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Names a method that runs once per case ({@link TransportTest}, {@link SimulationTest},
 * {@code @ParameterizedTest}) by its name alone, without its parameter types, so that reports read
 * {@code echo[tcp/json]} and {@code sleeps[seed=17]}: a report joins the method's name and the
 * invocation's ({@code [tcp/json]}). Other names are JUnit's standard ones.
 *
 * <p>Switch it on for a project in {@code src/test/resources/junit-platform.properties}:
 * <pre>
 * junit.jupiter.displayname.generator.default = io.loomas.junit.KitDisplayNames
 * </pre>
 */
public class KitDisplayNames extends DisplayNameGenerator.Standard {

    /** Used by JUnit, which creates the generator. */
    public KitDisplayNames() {}

    @Override
    public String generateDisplayNameForMethod(Class<?> testClass, Method testMethod) {
        if (AnnotationSupport.isAnnotated(testMethod, TestTemplate.class)) {
            return testMethod.getName();
        }
        return super.generateDisplayNameForMethod(testClass, testMethod);
    }
}
