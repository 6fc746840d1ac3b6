#ifndef WETLINK_SERVICES_ARENA_ALLOCATOR_H_
#define WETLINK_SERVICES_ARENA_ALLOCATOR_H_

// Places a callback unary call's request and response, with all their
// sub-messages, in one protobuf arena freed at once when the call ends.
// Answers of many small messages (links, nodes) otherwise spend a quarter
// of the server's CPU in malloc and free.

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

namespace wetlink::services {

template <typename Request, typename Response>
class ArenaAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    google::protobuf::Arena arena_;
  };
};

}  // namespace wetlink::services

#endif  // WETLINK_SERVICES_ARENA_ALLOCATOR_H_
