package dev.genfleet.training;

import dev.genfleet.training.image.ImageModelBenchmark;
import dev.genfleet.training.text.ExportedModelBenchmark;
import dev.genfleet.training.text.TextModelBenchmark;
import java.nio.file.Path;

/**
 * Raw model throughput, in process and without Kafka: text at batch 1 and 16 (with and without the
 * key/value cache), the exported static-cache models in TorchScript and ONNX beside copy-gpt, then images
 * at batch 1 and 16. Each prints a Markdown table.
 *
 * <pre>./mvnw -q install -DskipTests &amp;&amp; ./mvnw -q -pl worker exec:exec@bench-models</pre>
 */
public final class ModelBenchmark {

    private ModelBenchmark() {}

    public static void main(String[] args) {
        String models = args.length > 0 ? args[0] : Path.of("models").toString();
        System.out.println("## copy-gpt (text)");
        TextModelBenchmark.main(new String[] {models});
        System.out.println();
        System.out.println("## exported text models (static-kv: TorchScript and ONNX)");
        ExportedModelBenchmark.main(new String[] {models});
        System.out.println();
        System.out.println("## banner-gan (image)");
        ImageModelBenchmark.main(new String[] {models});
    }
}
