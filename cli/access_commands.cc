// wetlink whoami; wetlink token create|list|revoke; wetlink studies
// sharing|share; wetlink audit

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "cli/time_arg.h"
#include "telemetry/timestamp.h"
#include "wetlink/v1/access.grpc.pb.h"

namespace wetlink::cli {
namespace {

std::string TimeText(std::int64_t ms) { return telemetry::FormatTimestamp(ms); }

std::string TokenState(const v1::TokenInfo& t, std::int64_t now_ms) {
  if (t.has_revoked_ms()) return "revoked " + TimeText(t.revoked_ms());
  if (t.has_expires_ms() && t.expires_ms() <= now_ms) return "expired " + TimeText(t.expires_ms());
  if (t.has_expires_ms()) return "valid until " + TimeText(t.expires_ms());
  return "valid";
}

Fields TokenFields(const v1::TokenInfo& t) {
  return {{"id", t.id()},
          {"holder", t.holder()},
          {"role", t.role()},
          {"studies", absl::StrJoin(t.studies(), ",")},
          {"state", TokenState(t, telemetry::SystemNowMs())},
          {"created", TimeText(t.created_ms())},
          {"created_by", t.created_by()},
          {"note", t.note()}};
}

void PrintToken(const v1::TokenInfo& t, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    PrintJson(t, std::cout);
  } else {
    PrintFields(TokenFields(t), format, std::cout);
  }
}

int WhoAmI(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::TokenInfo me;
  auto ctx = client.NewContext();
  grpc::Status status = stub->WhoAmI(ctx.get(), {}, &me);
  if (!status.ok()) return client.Fail(status, "asking who the token belongs to");
  PrintToken(me, g.format);
  return kExitOk;
}

struct CreateTokenFlags {
  std::string holder;
  std::string role;
  std::vector<std::string> studies;
  std::string expires;
  std::string note;
};

int CreateToken(const GlobalOptions& g, const CreateTokenFlags& flags) {
  v1::CreateTokenRequest req;
  req.set_holder(flags.holder);
  req.set_role(flags.role);
  for (const std::string& study : flags.studies) req.add_studies(study);
  req.set_note(flags.note);
  if (!flags.expires.empty()) {
    std::optional<telemetry::TimestampMs> expires = ParseTimeArg(flags.expires);
    if (!expires) {
      return FailLocal(absl::StrCat("--expires: '", flags.expires, "' is not a date or time"),
                       kExitUsage);
    }
    req.set_expires_ms(*expires);
  }
  Client client(g);
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::CreateTokenResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->CreateToken(ctx.get(), req, &resp);
  if (!status.ok()) {
    return client.Fail(status, absl::StrCat("creating a token for '", flags.holder, "'"));
  }
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  // The token alone on stdout, so `> holder.token` keeps it; the rest for
  // the admin on stderr.
  std::cout << resp.token_text() << "\n";
  std::cerr << "wetlink: token " << resp.token().id() << " for " << resp.token().holder() << " ("
            << resp.token().role()
            << "); it is shown only now: hand it over in a file readable by its holder only\n";
  return kExitOk;
}

int ListTokens(const GlobalOptions& g) {
  Client client(g);
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::ListTokensResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ListTokens(ctx.get(), {}, &resp);
  if (!status.ok()) return client.Fail(status, "listing tokens");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  const std::int64_t now = telemetry::SystemNowMs();
  Table t{{"id", "holder", "role", "studies", "state", "created", "created_by", "note"}, {}};
  for (const v1::TokenInfo& token : resp.tokens()) {
    t.rows.push_back({token.id(), token.holder(), token.role(), absl::StrJoin(token.studies(), ","),
                      TokenState(token, now), TimeText(token.created_ms()), token.created_by(),
                      token.note()});
  }
  PrintRows(t, g.format, std::cout);
  return kExitOk;
}

int RevokeToken(const GlobalOptions& g, const std::string& id) {
  Client client(g);
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::RevokeTokenRequest req;
  req.set_token_id(id);
  v1::TokenInfo revoked;
  auto ctx = client.NewContext();
  grpc::Status status = stub->RevokeToken(ctx.get(), req, &revoked);
  if (!status.ok()) return client.Fail(status, absl::StrCat("revoking token '", id, "'"));
  PrintToken(revoked, g.format);
  return kExitOk;
}

Fields SharingFields(const v1::StudySharing& s) {
  return {{"study", s.study_id()},
          {"owner", s.owner()},
          {"collaborators", absl::StrJoin(s.collaborators(), ",")},
          {"public", s.public_() ? "yes" : "no"}};
}

void PrintSharing(const v1::StudySharing& s, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    PrintJson(s, std::cout);
  } else {
    PrintFields(SharingFields(s), format, std::cout);
  }
}

grpc::Status GetSharing(Client& client, const std::string& study, v1::StudySharing* out) {
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::GetStudySharingRequest req;
  req.set_study_id(study);
  auto ctx = client.NewContext();
  return stub->GetStudySharing(ctx.get(), req, out);
}

int ShowSharing(const GlobalOptions& g, const std::string& study) {
  Client client(g);
  v1::StudySharing sharing;
  grpc::Status status = GetSharing(client, study, &sharing);
  if (!status.ok()) {
    return client.Fail(status, absl::StrCat("showing the sharing of study '", study, "'"));
  }
  PrintSharing(sharing, g.format);
  return kExitOk;
}

struct ShareFlags {
  std::string study;
  std::string owner;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  bool make_public = false;
  bool make_private = false;
};

int Share(const GlobalOptions& g, const ShareFlags& flags) {
  if (flags.make_public && flags.make_private) {
    return FailLocal("--public and --private exclude each other", kExitUsage);
  }
  Client client(g);
  v1::StudySharing sharing;
  // Read, change, write: the flags name changes, not the whole record.
  grpc::Status status = GetSharing(client, flags.study, &sharing);
  if (!status.ok()) {
    return client.Fail(status, absl::StrCat("reading the sharing of study '", flags.study, "'"));
  }
  if (!flags.owner.empty()) sharing.set_owner(flags.owner);
  std::vector<std::string> collaborators(sharing.collaborators().begin(),
                                         sharing.collaborators().end());
  collaborators.insert(collaborators.end(), flags.add.begin(), flags.add.end());
  sharing.clear_collaborators();
  for (const std::string& holder : collaborators) {
    if (std::find(flags.remove.begin(), flags.remove.end(), holder) == flags.remove.end()) {
      sharing.add_collaborators(holder);
    }
  }
  if (flags.make_public) sharing.set_public_(true);
  if (flags.make_private) sharing.set_public_(false);
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::SetStudySharingRequest req;
  *req.mutable_sharing() = sharing;
  v1::StudySharing stored;
  auto ctx = client.NewContext();
  status = stub->SetStudySharing(ctx.get(), req, &stored);
  if (!status.ok()) {
    return client.Fail(status, absl::StrCat("sharing study '", flags.study, "'"));
  }
  PrintSharing(stored, g.format);
  return kExitOk;
}

struct AuditFlags {
  std::string from;
  std::string to;
  std::string holder;
  std::uint32_t limit = 100;
};

int ListAudit(const GlobalOptions& g, const AuditFlags& flags) {
  v1::ListAuditEventsRequest req;
  for (const auto& [text, name] : {std::pair{&flags.from, "--from"}, std::pair{&flags.to, "--to"}}) {
    if (text->empty()) continue;
    std::optional<telemetry::TimestampMs> ms = ParseTimeArg(*text);
    if (!ms) return FailLocal(absl::StrCat(name, ": '", *text, "' is not a date or time"), kExitUsage);
    if (text == &flags.from) {
      req.set_from_ms(*ms);
    } else {
      req.set_to_ms(*ms);
    }
  }
  req.set_holder(flags.holder);
  req.set_limit(flags.limit);
  Client client(g);
  auto stub = v1::AccessService::NewStub(client.channel());
  v1::ListAuditEventsResponse resp;
  auto ctx = client.NewContext();
  grpc::Status status = stub->ListAuditEvents(ctx.get(), req, &resp);
  if (!status.ok()) return client.Fail(status, "listing the audit log");
  if (g.format == OutputFormat::kJson) {
    PrintJson(resp, std::cout);
    return kExitOk;
  }
  Table t{{"time", "holder", "role", "token", "action", "target", "outcome", "detail", "peer"}, {}};
  for (const v1::AuditEvent& e : resp.events()) {
    t.rows.push_back({TimeText(e.time_ms()), e.holder(), e.role(), e.token_id(), e.action(),
                      e.target(), e.outcome(), e.detail(), e.peer()});
  }
  PrintRows(t, g.format, std::cout);
  return kExitOk;
}

}  // namespace

void AddAccessCommands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  app.add_subcommand("whoami", "Show the holder, role and studies of your token")
      ->callback([&global, &exit_code] { exit_code = WhoAmI(global); });

  CLI::App* token = app.add_subcommand("token", "Access tokens (admin): create, list, revoke");
  token->require_subcommand(1);
  auto create_flags = std::make_shared<CreateTokenFlags>();
  auto* create = token->add_subcommand(
      "create", "Issue a token; prints it once, on stdout (e.g. > kim.token)");
  create->add_option("--holder", create_flags->holder,
                     "person or organisation it is for, [A-Za-z0-9._@-]{1,128}")
      ->required();
  create->add_option("--role", create_flags->role, "ingest, researcher, focal-point or admin")
      ->required()
      ->check(CLI::IsMember({"ingest", "researcher", "focal-point", "admin"}));
  create->add_option("--study", create_flags->studies,
                     "ingest tokens: a study it may create and write to (repeatable)");
  create->add_option("--expires", create_flags->expires, "refuse it from this UTC date or time");
  create->add_option("--note", create_flags->note, "free text, e.g. what it is used for");
  create->callback(
      [&global, &exit_code, create_flags] { exit_code = CreateToken(global, *create_flags); });
  token->add_subcommand("list", "List every token (never their secrets)")
      ->callback([&global, &exit_code] { exit_code = ListTokens(global); });
  auto revoke_id = std::make_shared<std::string>();
  auto* revoke = token->add_subcommand("revoke", "Refuse a token from now on");
  revoke->add_option("id", *revoke_id, "token id (12 hex digits, as `token list` shows)")
      ->required();
  revoke->callback([&global, &exit_code, revoke_id] { exit_code = RevokeToken(global, *revoke_id); });

  CLI::App* sharing = app.add_subcommand(
      "sharing", "Who may read a study: its owner, collaborators, and whether it is public");
  sharing->require_subcommand(1);
  auto show_study = std::make_shared<std::string>();
  auto* show = sharing->add_subcommand("show", "Show a study's sharing (its owner or an admin)");
  show->add_option("study", *show_study, "study id")->required();
  show->callback([&global, &exit_code, show_study] { exit_code = ShowSharing(global, *show_study); });
  auto share_flags = std::make_shared<ShareFlags>();
  auto* set = sharing->add_subcommand("set", "Change a study's sharing (its owner or an admin)");
  set->add_option("study", share_flags->study, "study id")->required();
  set->add_option("--owner", share_flags->owner, "new owner (admins only)");
  set->add_option("--add", share_flags->add, "holder to add as collaborator (repeatable)");
  set->add_option("--remove", share_flags->remove, "collaborator to remove (repeatable)");
  set->add_flag("--public", share_flags->make_public,
                "let every researcher read it (sensitive species generalised)");
  set->add_flag("--private", share_flags->make_private, "only owner and collaborators");
  set->callback([&global, &exit_code, share_flags] { exit_code = Share(global, *share_flags); });

  auto audit_flags = std::make_shared<AuditFlags>();
  auto* audit = app.add_subcommand("audit", "The audit log, newest first (admin)");
  audit->add_option("--from", audit_flags->from, "from this UTC date or time (inclusive)");
  audit->add_option("--to", audit_flags->to, "until this UTC date or time (exclusive)");
  audit->add_option("--holder", audit_flags->holder, "only this holder's events");
  audit->add_option("--limit", audit_flags->limit, "at most this many events (1 to 10000)")
      ->check(CLI::Range(1u, 10'000u))
      ->capture_default_str();
  audit->callback([&global, &exit_code, audit_flags] { exit_code = ListAudit(global, *audit_flags); });
}

}  // namespace wetlink::cli
