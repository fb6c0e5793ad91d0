// Map from names (views into text that outlives the table) to ints, by open
// addressing: name lookups are the MPS reader's hot path, and a flat table of
// hashes misses the cache less than std::unordered_map's nodes.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace satmip::io {

class NameTable {
 public:
  const int32_t* find(std::string_view name) const {
    if (slots_.empty()) return nullptr;
    uint64_t hash = std::hash<std::string_view>{}(name);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.key == 0) return nullptr;
      if (slot.hash == hash && keys_[slot.key - 1] == name) return &slot.value;
    }
  }
  bool contains(std::string_view name) const { return find(name) != nullptr; }

  // Adds name -> value; false (and no change) if the name is there already.
  bool insert(std::string_view name, int32_t value) {
    if (2 * (keys_.size() + 1) > slots_.size()) grow();
    uint64_t hash = std::hash<std::string_view>{}(name);
    size_t i = hash & mask_;
    for (; slots_[i].key != 0; i = (i + 1) & mask_)
      if (slots_[i].hash == hash && keys_[slots_[i].key - 1] == name) return false;
    keys_.push_back(name);
    slots_[i] = Slot{hash, uint32_t(keys_.size()), value};
    return true;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t key = 0;  // index into keys_ plus one; 0: empty
    int32_t value = 0;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(16, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.key == 0) continue;
      size_t i = slot.hash & mask_;
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
  size_t mask_ = 0;
};

}  // namespace satmip::io
