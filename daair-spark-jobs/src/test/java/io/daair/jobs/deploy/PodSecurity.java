package io.daair.jobs.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every daair pod spec must hold (k8s/pod-template.yaml): the images' fixed non-root user and
 * group, no privilege escalation, no capabilities, the runtime's default seccomp profile, a read-only
 * root filesystem, and emptyDir volumes for what Spark writes (/tmp, its local dir, the working folder).
 */
final class PodSecurity {
    /** Folders Spark and the JVM write to that are not Spark's local dirs: emptyDirs at these paths. */
    static final List<String> WRITABLE_PATHS = List.of("/tmp", "/opt/spark/work-dir");

    /** Spark takes pod-template volumes with this prefix as its local dirs (shuffle, spills, blocks). */
    static final String LOCAL_DIR_VOLUME = "spark-local-dir-";

    private PodSecurity() {}

    /** The problems of {@code podSpec} (a Pod's spec) for pods running {@code images}; empty if none. */
    static List<String> problems(Map<String, Object> podSpec, List<Dockerfile> images) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> pod = Yamls.map(podSpec, "securityContext");
        if (!Boolean.TRUE.equals(pod.get("runAsNonRoot"))) {
            problems.add("securityContext.runAsNonRoot is not true");
        }
        for (Dockerfile image : images) {
            String[] user = image.finalStage().users().isEmpty()
                    ? new String[] {"root"}
                    : image.finalStage()
                            .users()
                            .get(image.finalStage().users().size() - 1)
                            .split(":");
            String name = Repo.relative(image.file());
            if (!String.valueOf(pod.get("runAsUser")).equals(user[0])) {
                problems.add(
                        "securityContext.runAsUser " + pod.get("runAsUser") + " is not " + name + "'s USER " + user[0]);
            }
            if (user.length < 2 || !String.valueOf(pod.get("runAsGroup")).equals(user[1])) {
                problems.add("securityContext.runAsGroup " + pod.get("runAsGroup") + " is not the group of " + name
                        + "'s USER (USER uid:gid)");
            }
        }
        List<Map<String, Object>> containers = Yamls.maps(podSpec.get("containers"));
        if (containers.isEmpty()) {
            problems.add("no container to harden");
        }
        Set<String> emptyDirs = Yamls.maps(podSpec.get("volumes")).stream()
                .filter(v -> v.get("emptyDir") != null)
                .map(v -> String.valueOf(v.get("name")))
                .collect(Collectors.toSet());
        for (Map<String, Object> container : containers) {
            String where = "container " + container.get("name") + ": ";
            Map<String, Object> security = Yamls.map(container, "securityContext");
            if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                problems.add(where + "securityContext.allowPrivilegeEscalation is not false");
            }
            if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                problems.add(where + "securityContext.readOnlyRootFilesystem is not true");
            }
            if (!Yamls.strings(Yamls.map(security, "capabilities").get("drop")).contains("ALL")) {
                problems.add(where + "securityContext.capabilities.drop lacks ALL");
            }
            Object seccomp = Objects.requireNonNullElse(
                    Yamls.map(security, "seccompProfile").get("type"),
                    Yamls.map(pod, "seccompProfile").get("type"));
            if (!"RuntimeDefault".equals(seccomp)) {
                problems.add(where + "seccompProfile.type is " + seccomp + ", not RuntimeDefault");
            }
            Map<String, String> mounts = Yamls.maps(container.get("volumeMounts")).stream()
                    .filter(m -> emptyDirs.contains(String.valueOf(m.get("name"))))
                    .collect(Collectors.toMap(
                            m -> String.valueOf(m.get("mountPath")), m -> String.valueOf(m.get("name"))));
            for (String path : WRITABLE_PATHS) {
                if (!mounts.containsKey(path)) {
                    problems.add(where + "no emptyDir at " + path + " (the root filesystem is read-only)");
                }
            }
            if (mounts.values().stream().noneMatch(n -> n.startsWith(LOCAL_DIR_VOLUME))) {
                problems.add(where + "no emptyDir volume " + LOCAL_DIR_VOLUME + "* for Spark's local dir");
            }
        }
        return problems;
    }
}
