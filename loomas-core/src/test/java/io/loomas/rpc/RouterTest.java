package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    static class Leaf {
        @Expose
        int one() {
            return 1;
        }
    }

    static class Twice {
        @SubService
        final Leaf a;
        @SubService
        final Leaf b;

        Twice(Leaf leaf) {
            a = leaf;
            b = leaf;
        }
    }

    static class Tree {
        @SubService
        final Leaf leaf = new Leaf();
        @SubService
        final ServiceMap map = new ServiceMap();
    }

    @Test
    void aServiceMountedTwiceIsRejected() {
        assertThatThrownBy(() -> Router.of(new Twice(new Leaf())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("appears twice in the tree: at \"a\" and at \"b\"");
    }

    @Test
    void aServiceMapWithAParentCannotBeMountedAgain() {
        ServiceMap child = new ServiceMap();
        new ServiceMap().put("first", child);
        assertThatThrownBy(() -> new ServiceMap().put("second", child))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a parent");
    }

    @Test
    void pathsOfServicesAreFoundThroughFieldsAndMaps() {
        Tree tree = new Tree();
        Leaf inMap = new Leaf();
        tree.map.put("x", inMap);
        Router router = Router.of(tree);
        assertThat(router.pathOf(tree)).isEmpty();
        assertThat(router.pathOf(tree.leaf)).isEqualTo("leaf");
        assertThat(router.pathOf(inMap)).isEqualTo("map/x");
        tree.map.remove("x");
        assertThatThrownBy(() -> router.pathOf(inMap)).hasMessageContaining("is not part of the service tree");
    }

    @Test
    void resolutionsThroughFinalFieldsAreCachedAndMapsStayLive() {
        Tree tree = new Tree();
        Router router = Router.of(tree);
        assertThat(router.resolve("leaf/one")).isSameAs(router.resolve("leaf/one"));
        tree.map.put("f", (RemoteFunction) (a, k) -> 1);
        assertThat(router.resolve("map/f")).isNotSameAs(router.resolve("map/f"));
    }

    @Test
    void aNonServiceIsRejected() {
        assertThatThrownBy(() -> Router.of("just a string"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a service: java.lang.String");
    }

    /** A service method with a **kwargs collector before its *args. */
    public static class Flexible {
        @Expose
        List<Object> f(int a, @Kwargs java.util.Map<String, Object> rest, Object... more) {
            return List.of(a, rest, List.of(more));
        }
    }

    @org.junit.jupiter.api.Test
    void aKwargsParameterCollectsTheKeywordArgumentsNoOtherParameterTakes() throws Exception {
        Router router = Router.of(new Flexible());
        assertThat(router.resolve("f").invoke(List.of(1, 2, 3), java.util.Map.of("x", 4)))
                .isEqualTo(List.of(1, java.util.Map.of("x", 4), List.of(2, 3)));
        assertThat(router.resolve("f").invoke(List.of(), java.util.Map.of("a", 5, "y", 6)))
                .isEqualTo(List.of(5, java.util.Map.of("y", 6), List.of()));
        assertThat(router.resolve("f").invoke(List.of(1), java.util.Map.of()))
                .isEqualTo(List.of(1, java.util.Map.of(), List.of()));
    }
}
