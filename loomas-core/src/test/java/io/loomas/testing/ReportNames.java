package io.loomas.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.TestTemplate;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The kit's {@code KitDisplayNames} rule for the modules below the kit, which cannot depend on it:
 * a method that runs once per case is named without its parameter types, so reports read
 * {@code roundTrip[tcp/json]}. Set in these modules' {@code junit-platform.properties}.
 */
public class ReportNames extends DisplayNameGenerator.Standard {
    @Override
    public String generateDisplayNameForMethod(Class<?> testClass, Method testMethod) {
        return AnnotationSupport.isAnnotated(testMethod, TestTemplate.class) ? testMethod.getName()
                : super.generateDisplayNameForMethod(testClass, testMethod);
    }
}
