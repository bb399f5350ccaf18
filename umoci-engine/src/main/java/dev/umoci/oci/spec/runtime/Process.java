package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** runtime-spec {@code process}: the container's entry process. */
@JsonPropertyOrder({
  "terminal",
  "user",
  "args",
  "env",
  "cwd",
  "capabilities",
  "rlimits",
  "noNewPrivileges"
})
public record Process(
    @JsonProperty("terminal") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean terminal,
    @JsonProperty("user") @JsonInclude(JsonInclude.Include.ALWAYS) User user,
    @JsonProperty("args") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> args,
    @JsonProperty("env") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> env,
    @JsonProperty("cwd") @JsonInclude(JsonInclude.Include.ALWAYS) String cwd,
    @JsonProperty("capabilities") Capabilities capabilities,
    @JsonProperty("rlimits") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Rlimit> rlimits,
    @JsonProperty("noNewPrivileges") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        boolean noNewPrivileges) {

  public Process {
    user = user == null ? new User(0, 0, null, null) : user;
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? List.of() : List.copyOf(env);
    cwd = cwd == null ? "" : cwd;
    rlimits = rlimits == null ? List.of() : List.copyOf(rlimits);
  }

  public Process withUser(User newUser) {
    return new Process(terminal, newUser, args, env, cwd, capabilities, rlimits, noNewPrivileges);
  }

  public Process withArgs(List<String> newArgs) {
    return new Process(terminal, user, newArgs, env, cwd, capabilities, rlimits, noNewPrivileges);
  }

  public Process withEnv(List<String> newEnv) {
    return new Process(terminal, user, args, newEnv, cwd, capabilities, rlimits, noNewPrivileges);
  }

  public Process withCwd(String newCwd) {
    return new Process(terminal, user, args, env, newCwd, capabilities, rlimits, noNewPrivileges);
  }

  public Process withTerminal(boolean newTerminal) {
    return new Process(newTerminal, user, args, env, cwd, capabilities, rlimits, noNewPrivileges);
  }
}
