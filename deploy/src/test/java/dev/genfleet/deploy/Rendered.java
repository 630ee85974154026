package dev.genfleet.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** One rendered install: the documents Helm produced and the values that produced them. */
record Rendered(Path valuesFile, List<Map<String, Object>> docs, Map<String, Object> values) {

    List<Map<String, Object>> ofKind(String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> one(String kind, String name) {
        return ofKind(kind).stream()
                .filter(d -> name.equals(Tree.str(d, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(kind + " " + name + " in " + this));
    }

    List<Map<String, Object>> pools() {
        return Tree.maps(values, "workers.pools");
    }

    @Override
    public String toString() {
        return valuesFile.getFileName().toString();
    }
}
