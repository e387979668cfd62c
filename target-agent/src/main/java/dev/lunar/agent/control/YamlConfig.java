package dev.lunar.agent.control;

import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML form of a {@link TargetSetSpec}, used by {@code --config FILE} and by the state
 * directory alike:
 *
 * <pre>
 * targets:
 *   - tid: 1
 *     iqn: iqn.2026-11.dev.lunar:demo
 *     initiatorAddresses: [ALL]          # optional: initiatorNames, incomingUsers, outgoingUser
 *     params: {MaxRecvDataSegmentLength: 65536}
 *     luns:
 *       - lun: 1
 *         backingStore: /var/lib/lunar/demo.img
 *         # optional, tgt's defaults: bsType rdwr, sizeBytes 0, blockSize 512, readOnly false,
 *         # thin false, scsiId/scsiSerial as tgt derives them, online true, removable false,
 *         # lbppbe 0
 * accounts:
 *   - user: alice
 *     password: secret
 * </pre>
 *
 * Unknown keys, wrong types and broken references are errors naming the file and line.
 */
public final class YamlConfig {

  private static final Set<String> TOP_KEYS = Set.of("targets", "accounts");
  private static final Set<String> TARGET_KEYS =
      Set.of(
          "tid",
          "iqn",
          "luns",
          "initiatorAddresses",
          "initiatorNames",
          "incomingUsers",
          "outgoingUser",
          "params");
  private static final Set<String> LUN_KEYS =
      Set.of(
          "lun",
          "backingStore",
          "bsType",
          "sizeBytes",
          "blockSize",
          "readOnly",
          "thin",
          "scsiId",
          "scsiSerial",
          "online",
          "removable",
          "lbppbe");
  private static final Set<String> ACCOUNT_KEYS = Set.of("user", "password");

  private YamlConfig() {}

  public static TargetSetSpec load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * The document's node tree, as {@code Yaml.compose} builds it, without the {@code Yaml} facade:
   * that also sets up a constructor and a representer (Java bean introspection, java.util.logging,
   * BigDecimal) which turning nodes into a spec never uses, and which the daemon would load at
   * every start.
   */
  private static Node compose(String text) {
    LoaderOptions options = new LoaderOptions();
    StreamReader reader = new StreamReader(new StringReader(text));
    return new Composer(new ParserImpl(reader, options), new Resolver(), options).getSingleNode();
  }

  /** Parses {@code text}; {@code source} names it in errors. An empty document is an empty set. */
  public static TargetSetSpec parse(String text, String source) throws ConfigException {
    Node root;
    try {
      root = compose(text);
    } catch (YAMLException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      return TargetSetSpec.empty();
    }
    YamlNodes yaml = new YamlNodes(source);
    Map<String, Node> top = yaml.mapping(root, "the document", TOP_KEYS);
    List<AccountSpec> accounts = new ArrayList<>();
    if (top.containsKey("accounts")) {
      for (Node item : yaml.sequence(top.get("accounts"), "accounts")) {
        accounts.add(account(yaml, item, accounts));
      }
    }
    List<TargetSpec> targets = new ArrayList<>();
    if (top.containsKey("targets")) {
      for (Node item : yaml.sequence(top.get("targets"), "targets")) {
        targets.add(target(yaml, item, targets, accounts));
      }
    }
    targets.sort((a, b) -> Integer.compare(a.tid(), b.tid()));
    return new TargetSetSpec(targets, accounts);
  }

  private static AccountSpec account(YamlNodes yaml, Node node, List<AccountSpec> seen)
      throws ConfigException {
    Map<String, Node> map = yaml.mapping(node, "an account", ACCOUNT_KEYS);
    if (!map.containsKey("user") || !map.containsKey("password")) {
      throw yaml.error(node, "an account needs user and password");
    }
    String user = yaml.scalar(map.get("user"), "user");
    if (user.isEmpty() || seen.stream().anyMatch(a -> a.user().equals(user))) {
      throw yaml.error(map.get("user"), "account user '" + user + "' is empty or repeated");
    }
    return new AccountSpec(user, yaml.scalar(map.get("password"), "password"));
  }

  private static TargetSpec target(
      YamlNodes yaml, Node node, List<TargetSpec> seen, List<AccountSpec> accounts)
      throws ConfigException {
    Map<String, Node> map = yaml.mapping(node, "a target", TARGET_KEYS);
    if (!map.containsKey("tid") || !map.containsKey("iqn")) {
      throw yaml.error(node, "a target needs tid and iqn");
    }
    int tid = (int) yaml.number(map.get("tid"), "tid", 1, Integer.MAX_VALUE);
    String iqn = yaml.scalar(map.get("iqn"), "iqn");
    for (TargetSpec other : seen) {
      if (other.tid() == tid || other.iqn().equals(iqn)) {
        throw yaml.error(node, "target " + tid + " (" + iqn + ") repeats a tid or an iqn");
      }
    }
    List<String> incoming = list(yaml, map, "incomingUsers");
    String outgoing =
        map.containsKey("outgoingUser")
            ? yaml.nullableScalar(map.get("outgoingUser"), "outgoingUser")
            : null;
    List<String> users = new ArrayList<>(incoming);
    if (outgoing != null) {
      users.add(outgoing);
    }
    for (String user : users) {
      if (accounts.stream().noneMatch(a -> a.user().equals(user))) {
        throw yaml.error(node, "target " + tid + " binds user '" + user + "', not in accounts");
      }
    }
    List<LunSpec> luns = new ArrayList<>();
    Set<Integer> numbers = new HashSet<>();
    if (map.containsKey("luns")) {
      for (Node item : yaml.sequence(map.get("luns"), "luns")) {
        LunSpec lun = lun(yaml, item, tid);
        if (!numbers.add(lun.lun())) {
          throw yaml.error(item, "target " + tid + " repeats lun " + lun.lun());
        }
        luns.add(lun);
      }
    }
    Map<String, String> params =
        map.containsKey("params") ? yaml.stringMap(map.get("params"), "params") : Map.of();
    return new TargetSpec(
        tid,
        iqn,
        luns,
        list(yaml, map, "initiatorAddresses"),
        list(yaml, map, "initiatorNames"),
        incoming,
        outgoing,
        params);
  }

  private static List<String> list(YamlNodes yaml, Map<String, Node> map, String key)
      throws ConfigException {
    return map.containsKey(key) ? yaml.strings(map.get(key), key) : List.of();
  }

  private static LunSpec lun(YamlNodes yaml, Node node, int tid) throws ConfigException {
    Map<String, Node> map = yaml.mapping(node, "a lun", LUN_KEYS);
    if (!map.containsKey("lun")) {
      throw yaml.error(node, "a lun needs its number (lun: 1)");
    }
    int number = (int) yaml.number(map.get("lun"), "lun", 1, Integer.MAX_VALUE);
    String backing =
        map.containsKey("backingStore")
            ? yaml.nullableScalar(map.get("backingStore"), "backingStore")
            : null;
    LunSpec lun = LunSpec.tgtDefault(tid, number, backing);
    for (Map.Entry<String, Node> entry : map.entrySet()) {
      Node value = entry.getValue();
      lun =
          switch (entry.getKey()) {
            case "bsType" -> lun.withBsType(yaml.scalar(value, "bsType"));
            case "sizeBytes" ->
                lun.withSizeBytes(yaml.number(value, "sizeBytes", 0, Long.MAX_VALUE));
            case "blockSize" -> lun.withBlockSize(blockSize(yaml, value));
            case "readOnly" -> lun.withReadOnly(yaml.bool(value, "readOnly"));
            case "thin" -> lun.withThin(yaml.bool(value, "thin"));
            case "scsiId" -> lun.withScsiId(yaml.scalar(value, "scsiId"));
            case "scsiSerial" -> lun.withScsiSerial(yaml.scalar(value, "scsiSerial"));
            case "online" -> lun.withOnline(yaml.bool(value, "online"));
            case "removable" -> lun.withRemovable(yaml.bool(value, "removable"));
            case "lbppbe" ->
                lun.withLbppbe((int) yaml.number(value, "lbppbe", 0, LunSpec.MAX_LBPPBE));
            default -> lun;
          };
    }
    return lun;
  }

  private static int blockSize(YamlNodes yaml, Node node) throws ConfigException {
    int size = (int) yaml.number(node, "blockSize", 512, 4096);
    if (Integer.bitCount(size) != 1) {
      throw yaml.error(node, "blockSize must be 512, 1024, 2048 or 4096");
    }
    return size;
  }

  /** The YAML text of {@code spec}, every field written out, readable back by {@link #parse}. */
  public static String toYaml(TargetSetSpec spec) {
    List<Object> targets = new ArrayList<>();
    for (TargetSpec target : spec.targets()) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("tid", target.tid());
      map.put("iqn", target.iqn());
      map.put("initiatorAddresses", target.initiatorAddresses());
      map.put("initiatorNames", target.initiatorNames());
      map.put("incomingUsers", target.incomingUsers());
      map.put("outgoingUser", target.outgoingUser());
      map.put("params", new TreeMap<>(target.params()));
      List<Object> luns = new ArrayList<>();
      for (LunSpec lun : target.luns()) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("lun", lun.lun());
        l.put("backingStore", lun.backingStore());
        l.put("bsType", lun.bsType());
        l.put("sizeBytes", lun.sizeBytes());
        l.put("blockSize", lun.blockSize());
        l.put("readOnly", lun.readOnly());
        l.put("thin", lun.thin());
        l.put("scsiId", lun.scsiId());
        l.put("scsiSerial", lun.scsiSerial());
        l.put("online", lun.online());
        l.put("removable", lun.removable());
        l.put("lbppbe", lun.lbppbe());
        luns.add(l);
      }
      map.put("luns", luns);
      targets.add(map);
    }
    List<Object> accounts = new ArrayList<>();
    for (AccountSpec account : spec.accounts()) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("user", account.user());
      map.put("password", account.password());
      accounts.add(map);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("targets", targets);
    root.put("accounts", accounts);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }
}
