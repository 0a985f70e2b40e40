#include "common/compliance/area_codes.hpp"

#include <algorithm>
#include <array>

namespace common::compliance {
namespace {

constexpr std::string_view kEastern = "America/New_York";
constexpr std::string_view kCentral = "America/Chicago";
constexpr std::string_view kMountain = "America/Denver";
constexpr std::string_view kArizona = "America/Phoenix";
constexpr std::string_view kPacific = "America/Los_Angeles";

// One state's codes that all share the same zone(s).
struct Group {
  std::string_view state;
  std::vector<std::string_view> zones;
  std::vector<int> codes;
};

// NANPA assignments, grouped by state and zone set. Two-zone codes follow the zone boundary:
// the second zone is where a part of the code's area keeps different clocks.
const std::vector<Group>& groups() {
  static const std::vector<Group> kGroups = {
    {"AL", {kCentral}, {205, 251, 256, 659, 938}},
    {"AL", {kCentral, kEastern}, {334}},  // Phenix City keeps Eastern time de facto
    {"AK", {"America/Anchorage", "America/Adak"}, {907}},
    {"AZ", {kArizona}, {480, 520, 602, 623}},
    {"AZ", {kArizona, kMountain}, {928}},  // the Navajo Nation observes DST
    {"AR", {kCentral}, {327, 479, 501, 870}},
    {"CA", {kPacific}, {209, 213, 279, 310, 323, 341, 350, 369, 408, 415, 424, 442, 510, 530,
                        559, 562, 619, 626, 628, 650, 657, 661, 669, 707, 714, 738, 747, 760,
                        805, 818, 820, 831, 840, 858, 909, 916, 925, 949, 951}},
    {"CO", {kMountain}, {303, 719, 720, 748, 970, 983}},
    {"CT", {kEastern}, {203, 475, 860, 959}},
    {"DE", {kEastern}, {302}},
    {"DC", {kEastern}, {202, 771}},
    {"FL", {kEastern}, {239, 305, 321, 324, 352, 386, 407, 561, 645, 656, 689, 727, 728, 754,
                        772, 786, 813, 863, 904, 941, 954}},
    {"FL", {kCentral, kEastern}, {448, 850}},  // panhandle west of the Apalachicola: Central
    {"GA", {kEastern}, {229, 404, 470, 478, 678, 706, 762, 770, 912, 943}},
    {"HI", {"Pacific/Honolulu"}, {808}},
    {"ID", {"America/Boise", kPacific}, {208, 986}},  // the panhandle: Pacific
    {"IL", {kCentral}, {217, 224, 309, 312, 331, 447, 464, 618, 630, 708, 730, 773, 779, 815,
                        847, 861, 872}},
    // Monon and Wolcott (White County) are east of the zone line of 49 CFR 71.5(b): Eastern.
    {"IN", {kCentral, "America/Indiana/Indianapolis"}, {219}},
    {"IN", {"America/Indiana/Indianapolis"}, {260, 317, 463, 765}},
    {"IN", {"America/Indiana/Indianapolis", kCentral}, {574, 812, 930}},
    {"IA", {kCentral}, {319, 515, 563, 641, 712}},
    {"KS", {kCentral}, {316, 913}},
    {"KS", {kCentral, kMountain}, {620, 785}},  // four western counties: Mountain
    {"KY", {"America/Kentucky/Louisville"}, {502, 859}},
    {"KY", {kCentral, "America/Kentucky/Louisville"}, {270, 364, 606}},
    {"LA", {kCentral}, {225, 318, 337, 504, 985}},
    {"ME", {kEastern}, {207}},
    {"MD", {kEastern}, {227, 240, 301, 410, 443, 667}},
    {"MA", {kEastern}, {339, 351, 413, 508, 617, 774, 781, 857, 978}},
    {"MI", {"America/Detroit"}, {231, 248, 269, 313, 517, 586, 616, 679, 734, 810, 947, 989}},
    {"MI", {"America/Detroit", "America/Menominee"}, {906}},
    {"MN", {kCentral}, {218, 320, 507, 612, 651, 763, 952}},
    {"MS", {kCentral}, {228, 601, 662, 769}},
    {"MO", {kCentral}, {235, 314, 417, 557, 573, 636, 660, 816, 975}},
    {"MT", {kMountain}, {406}},
    {"NE", {kCentral}, {402, 531}},
    {"NE", {kCentral, kMountain}, {308}},
    {"NV", {kPacific}, {702, 725}},
    {"NV", {kPacific, kMountain}, {775}},  // West Wendover: Mountain
    {"NH", {kEastern}, {603}},
    {"NJ", {kEastern}, {201, 551, 609, 640, 732, 848, 856, 862, 908, 973}},
    {"NM", {kMountain}, {505, 575}},
    {"NY", {kEastern}, {212, 315, 329, 332, 347, 363, 516, 518, 585, 607, 624, 631, 646, 680,
                        716, 718, 838, 845, 914, 917, 929, 934}},
    {"NC", {kEastern}, {252, 336, 472, 704, 743, 828, 910, 919, 980, 984}},
    {"ND", {kCentral, kMountain}, {701}},
    {"OH", {kEastern}, {216, 220, 234, 283, 326, 330, 380, 419, 436, 440, 513, 567, 614, 740,
                        937}},
    {"OK", {kCentral}, {405, 539, 572, 580, 918}},
    {"OR", {kPacific}, {503, 971}},
    {"OR", {kPacific, "America/Boise"}, {458, 541}},  // Malheur County: Mountain
    {"PA", {kEastern}, {215, 223, 267, 272, 412, 445, 484, 570, 582, 610, 717, 724, 814, 835,
                        878}},
    {"RI", {kEastern}, {401}},
    {"SC", {kEastern}, {803, 821, 839, 843, 854, 864}},
    {"SD", {kCentral, kMountain}, {605}},
    {"TN", {kCentral}, {615, 629, 731, 901}},
    {"TN", {kEastern}, {865}},
    {"TN", {kEastern, kCentral}, {423}},
    {"TN", {kCentral, kEastern}, {931}},
    {"TX", {kCentral}, {210, 214, 254, 281, 325, 346, 361, 409, 430, 469, 512, 682, 713, 726,
                        737, 806, 817, 830, 832, 903, 936, 940, 945, 956, 972, 979}},
    {"TX", {kCentral, kMountain}, {432}},
    {"TX", {kMountain}, {915}},  // El Paso and Hudspeth counties
    {"UT", {kMountain}, {385, 435, 801}},
    {"VT", {kEastern}, {802}},
    {"VA", {kEastern}, {276, 434, 540, 571, 686, 703, 757, 804, 826, 948}},
    {"WA", {kPacific}, {206, 253, 360, 425, 509, 564}},
    {"WV", {kEastern}, {304, 681}},
    {"WI", {kCentral}, {262, 274, 353, 414, 534, 608, 715, 920}},
    {"WY", {kMountain}, {307}},
    {"PR", {"America/Puerto_Rico"}, {787, 939}},
    {"VI", {"America/St_Thomas"}, {340}},
    {"GU", {"Pacific/Guam"}, {671}},
    {"MP", {"Pacific/Saipan"}, {670}},
    {"AS", {"Pacific/Pago_Pago"}, {684}},
  };
  return kGroups;
}

}  // namespace

std::optional<AreaCodeLocation> area_code_location(int npa) {
  for (const auto& group : groups()) {
    if (std::find(group.codes.begin(), group.codes.end(), npa) != group.codes.end()) {
      return AreaCodeLocation{group.state, {group.zones.begin(), group.zones.end()}};
    }
  }
  return std::nullopt;
}

std::vector<std::pair<int, AreaCodeLocation>> us_area_codes() {
  std::vector<std::pair<int, AreaCodeLocation>> codes;
  for (const auto& group : groups()) {
    for (int npa : group.codes) {
      codes.emplace_back(npa,
                         AreaCodeLocation{group.state, {group.zones.begin(), group.zones.end()}});
    }
  }
  std::sort(codes.begin(), codes.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return codes;
}

std::optional<AreaCodeLocation> phone_number_location(std::string_view e164) {
  if (e164.size() != 12 || e164.substr(0, 2) != "+1") return std::nullopt;
  int npa = 0;
  for (char c : e164.substr(2, 3)) {
    if (c < '0' || c > '9') return std::nullopt;
    npa = npa * 10 + (c - '0');
  }
  return area_code_location(npa);
}

}  // namespace common::compliance
