// Run once, on mongo1: mongosh --file replica-set-init.js
rs.initiate({
  _id: "yasp",
  members: [
    { _id: 0, host: "mongo1:27017", priority: 2 },
    { _id: 1, host: "mongo2:27017" },
    { _id: 2, host: "mongo3:27017" },
  ],
});
