package dev.lunar.operator.view;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** A Secret's values as text: {@code data} decoded from base64, {@code stringData} as given. */
public final class SecretData {

  private SecretData() {}

  public static Map<String, String> decode(Secret secret) {
    Map<String, String> values = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  /** The {@code data} form of text values. */
  public static Map<String, String> encode(Map<String, String> values) {
    Map<String, String> data = new TreeMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return data;
  }
}
