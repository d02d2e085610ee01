// SPDX-License-Identifier: UNLICENSED
// A stand-in for wBETH's StakedTokenV1 rate: exchangeRate() is ETH per token scaled 1e18 (same
// selector as wBETH, 0x3ba0b9a9) and only the owner may move it. haltedRate() and brokenRate()
// revert with Error(string) and Panic(0x12) so the provider's revert decoding meets a real node.
pragma solidity ^0.8.0;

contract ExchangeRate {
    address public owner;
    uint256 private rate;

    constructor(uint256 initialRate) {
        owner = msg.sender;
        rate = initialRate;
    }

    function exchangeRate() external view returns (uint256) {
        return rate;
    }

    function setExchangeRate(uint256 newRate) external {
        require(msg.sender == owner, "only owner");
        rate = newRate;
    }

    function haltedRate() external pure returns (uint256) {
        revert("redemptions halted");
    }

    function brokenRate() external view returns (uint256) {
        return 1e18 / (rate - rate);
    }
}
