package dev.genfleet.deploy;

import java.util.List;
import java.util.Map;

/** Which validator owns a kind; a kind nobody owns fails the build. */
final class Kinds {

    static List<String> check(Map<String, Object> doc) {
        String kind = (String) doc.get("kind");
        List<String> problems = new java.util.ArrayList<>();
        if (CoreModel.KINDS.containsKey(kind)) {
            problems.addAll(CoreModel.check(doc));
        } else if (StrimziModel.KINDS.containsKey(kind)) {
            problems.addAll(StrimziModel.check(doc));
        } else if (List.of("ScaledObject", "TriggerAuthentication").contains(kind)) {
            problems.addAll(KedaModel.check(doc));
        } else {
            problems.add("no typed model for kind " + kind);
        }
        problems.addAll(Required.check(doc));
        return problems;
    }

    private Kinds() {}
}
