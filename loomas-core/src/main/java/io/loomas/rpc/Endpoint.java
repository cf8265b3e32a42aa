package io.loomas.rpc;

import io.loomas.codec.CodecException;
import io.loomas.codec.internal.ValueConverter;
import io.loomas.runtime.Future;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Something a path calls: an exposed method of an object, or a function of a service map. */
abstract sealed class Endpoint permits Endpoint.OfMethod, Endpoint.OfFunction {
    final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** Calls it with wire arguments; a returned {@link Future} is awaited. */
    abstract Object invoke(List<Object> args, Map<String, Object> kwargs) throws Exception;

    static Object awaitIfFuture(Object result) {
        return result instanceof Future<?> f ? f.await() : result;
    }

    /** An exposed method: arguments are bound to parameters and converted to their declared types. */
    static final class OfMethod extends Endpoint {
        private final Object target;
        private final Method method;
        private final Parameter[] parameters;

        /** The index of the {@link Kwargs} parameter, or -1. */
        private final int kwargsIndex;
        /** The parameters filled by position, in order: all but the {@link Kwargs} one. */
        private final int[] byPosition;

        OfMethod(String path, Object target, Method method) {
            super(path);
            this.target = target;
            this.method = method;
            this.parameters = method.getParameters();
            int k = -1;
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].isAnnotationPresent(Kwargs.class)) {
                    if (!Map.class.isAssignableFrom(parameters[i].getType())) {
                        throw new IllegalStateException("@Kwargs parameter '" + parameters[i].getName() + "' of "
                                + method + " is not a Map (expected: Map<String, Object>)");
                    }
                    k = i;
                }
            }
            this.kwargsIndex = k;
            int[] p = new int[k < 0 ? parameters.length : parameters.length - 1];
            for (int i = 0, j = 0; i < parameters.length; i++) {
                if (i != k) {
                    p[j++] = i;
                }
            }
            this.byPosition = p;
        }

        @Override
        Object invoke(List<Object> args, Map<String, Object> kwargs) throws Exception {
            Object[] values = bind(args, kwargs);
            try {
                return awaitIfFuture(method.invoke(target, values));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) cause;
            }
        }

        private Object[] bind(List<Object> args, Map<String, Object> kwargs) {
            int fixed = byPosition.length - 1;
            if (method.isVarArgs() && (kwargs.isEmpty() || kwargsIndex >= 0) && args.size() >= fixed) {
                // f(a, b, *rest): the extra positional arguments fill the trailing array
                List<Object> packed = new java.util.ArrayList<>(args.subList(0, fixed));
                packed.add(args.subList(fixed, args.size()));
                args = packed;
            }
            int n = parameters.length;
            if (args.size() > byPosition.length) {
                int m = byPosition.length;
                throw new IllegalArgumentException(path + "() takes " + m + " argument" + (m == 1 ? "" : "s")
                        + " but " + args.size() + (args.size() == 1 ? " was" : " were") + " given");
            }
            Object[] raw = new Object[n];
            boolean[] set = new boolean[n];
            for (int i = 0; i < args.size(); i++) {
                raw[byPosition[i]] = args.get(i);
                set[byPosition[i]] = true;
            }
            Map<String, Object> rest = new java.util.LinkedHashMap<>();
            if (kwargsIndex >= 0) {
                raw[kwargsIndex] = rest;
                set[kwargsIndex] = true;
            }
            if (!kwargs.isEmpty()) {
                if (n > 0 && !parameters[0].isNamePresent() && kwargsIndex < 0) {
                    throw new IllegalArgumentException("keyword arguments " + kwargs.keySet() + " for " + path
                            + "() cannot be matched: the service was compiled without parameter names; compile it with -parameters");
                }
                for (Map.Entry<String, Object> kw : kwargs.entrySet()) {
                    int index = parameters[0].isNamePresent() ? indexOf(kw.getKey()) : -1;
                    if (index == kwargsIndex && index >= 0) {
                        index = -1; // the collector takes no keyword of its own name
                    }
                    if (index < 0 && kwargsIndex >= 0) {
                        rest.put(kw.getKey(), kw.getValue());
                        continue;
                    }
                    if (index < 0) {
                        throw new IllegalArgumentException(path + "() got an unexpected keyword argument '" + kw.getKey()
                                + "' (expected one of: " + Arrays.stream(parameters).map(Parameter::getName).toList() + ")");
                    }
                    if (set[index]) {
                        throw new IllegalArgumentException(path + "() got multiple values for argument '" + kw.getKey() + "'");
                    }
                    raw[index] = kw.getValue();
                    set[index] = true;
                }
            }
            if (method.isVarArgs() && !set[n - 1]) {
                raw[n - 1] = List.of(); // *rest with nothing left for it
                set[n - 1] = true;
            }
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                if (!set[i]) {
                    throw new IllegalArgumentException(path + "() takes " + n + " argument" + (n == 1 ? "" : "s")
                            + " but " + countGiven(set) + (countGiven(set) == 1 ? " was" : " were") + " given; missing "
                            + describe(i));
                }
                values[i] = i == kwargsIndex ? raw[i] : convert(raw[i], parameters[i].getParameterizedType(), i);
            }
            return values;
        }

        private Object convert(Object value, Type type, int index) {
            Class<?> raw = method.getParameterTypes()[index];
            if (value instanceof Remote remote) {
                if (raw.isInstance(remote)) {
                    return remote;
                }
                if (raw.isInterface() && !raw.getName().startsWith("java.")) {
                    return remote.as(raw);
                }
            }
            try {
                return ValueConverter.convert(value, type);
            } catch (CodecException e) {
                throw new IllegalArgumentException(describe(index) + " of " + path + "(): " + e.getMessage(), e);
            }
        }

        private int indexOf(String name) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].getName().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        private String describe(int index) {
            return parameters[index].isNamePresent() ? "argument '" + parameters[index].getName() + "'"
                    : "argument " + (index + 1);
        }

        private static int countGiven(boolean[] set) {
            int c = 0;
            for (boolean b : set) {
                c += b ? 1 : 0;
            }
            return c;
        }
    }

    /** A function of a service map: gets the wire arguments as they are. */
    static final class OfFunction extends Endpoint {
        private final RemoteFunction function;

        OfFunction(String path, RemoteFunction function) {
            super(path);
            this.function = function;
        }

        @Override
        Object invoke(List<Object> args, Map<String, Object> kwargs) throws Exception {
            return awaitIfFuture(function.call(args, kwargs));
        }
    }
}
