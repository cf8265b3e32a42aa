package io.loomas.codec.internal;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link ValueConverter}'s conversion of a map to a record, by component name. */
final class RecordConversions {
    private RecordConversions() {}

    static Object toRecord(Map<?, ?> map, Class<?> type, Type target) {
        RecordShape shape = RecordShape.of(type);
        Object[] values = new Object[shape.size()];
        int found = 0;
        for (int i = 0; i < shape.size(); i++) {
            String name = shape.name(i);
            Object value = map.get(name);
            if (value == null && !map.containsKey(name)) {
                throw new ConversionFailure(map, target, "a map with keys " + shape.names(),
                        "missing component: " + name);
            }
            found++;
            values[i] = ContainerConversions.at(value, shape.type(i), new ComponentStep(name));
        }
        if (found != map.size()) {
            List<Object> unknown = new ArrayList<>();
            Set<String> names = new HashSet<>(shape.names());
            for (Object key : map.keySet()) {
                if (!names.contains(key)) {
                    unknown.add(key);
                }
            }
            throw new ConversionFailure(map, target, "a map with keys " + shape.names(),
                    "unknown keys: " + unknown);
        }
        return shape.construct(values);
    }

    /** A step into a record component, shown as {@code .name}. */
    private record ComponentStep(String name) {
        @Override
        public String toString() {
            return "." + name;
        }
    }
}
